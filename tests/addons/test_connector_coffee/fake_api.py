"""An in-process coffee machine: the external system of the test connector.

It stores customers and orders and answers like a remote API would, including going
offline. Tests plug a machine at a location; a backend record points to that location.
"""
import copy
import itertools

# location -> CoffeeMachine
MACHINES = {}


class CoffeeMachineNotFound(KeyError):
    """The machine has no record with this ID."""


class CoffeeMachine(object):
    """The coffee machine's API: ``search``, ``read``, ``create``, ``write``, ``delete`` on
    the collections ``customers`` and ``orders``.

    Usage::

        machine = CoffeeMachine.plug('memory://office')
        customer_id = machine.create('customers', {'name': 'Ada', 'email': 'ada@example.com'})
        machine.online = False      # the next call raises ConnectionError
    """

    def __init__(self):
        self.collections = {'customers': {}, 'orders': {}}
        self.online = True
        self._ids = itertools.count(1)

    @classmethod
    def plug(cls, location):
        machine = MACHINES[location] = cls()
        return machine

    @staticmethod
    def unplug(location):
        MACHINES.pop(location, None)

    def _collection(self, name):
        if not self.online:
            raise ConnectionError('The coffee machine does not answer')
        return self.collections[name]

    def search(self, collection, filters=None):
        """IDs of the records whose fields equal ``filters``, and ``updated_at`` is after
        ``filters['updated_after']`` if given."""
        filters = dict(filters or {})
        updated_after = filters.pop('updated_after', None)
        return [external_id for external_id, record in self._collection(collection).items()
                if all(record.get(key) == value for key, value in filters.items())
                and (updated_after is None or record['updated_at'] > updated_after)]

    def read(self, collection, external_id):
        try:
            return copy.deepcopy(self._collection(collection)[str(external_id)])
        except KeyError:
            raise CoffeeMachineNotFound(external_id)

    def create(self, collection, values):
        external_id = str(next(self._ids))
        self._collection(collection)[external_id] = dict(copy.deepcopy(values),
                                                         id=external_id)
        return external_id

    def write(self, collection, external_id, values):
        self.read(collection, external_id)
        self._collection(collection)[str(external_id)].update(copy.deepcopy(values))

    def delete(self, collection, external_id):
        self.read(collection, external_id)
        del self._collection(collection)[str(external_id)]
